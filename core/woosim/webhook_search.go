package woosim

import (
	"cmp"
	"slices"
	"strings"
)

// webhookQuery is WC_Webhook_Data_Store::search_webhooks()'s arguments.
type webhookQuery struct {
	status           string // "" for every status
	search           string // name LIKE %search%
	include, exclude []int64
	created          timeRange // date_created_gmt BETWEEN, inclusive
	modified         timeRange
	orderBy          string // webhook_id, name, date_created_gmt, date_modified_gmt
	desc             bool
	limit            int // -1: no limit
	offset           int
}

// webhookOrderBy maps search_webhooks()' orderby keys to columns.
func webhookOrderBy(key string) string {
	switch key {
	case "name", "title", "post_title", "post_name":
		return "name"
	case "date_created", "date", "post_date":
		return "date_created_gmt"
	case "date_modified", "modified", "post_modified":
		return "date_modified_gmt"
	}
	return "webhook_id"
}

// searchWebhooks returns the requested page and how many webhooks match.
func (s *Sim) searchWebhooks(q webhookQuery) (page []webhook, total int) {
	var match []webhook
	for _, w := range s.hooks.all() {
		switch {
		case q.status != "" && w.status != q.status,
			q.search != "" && !strings.Contains(strings.ToLower(w.name), strings.ToLower(q.search)),
			q.include != nil && !slices.Contains(q.include, w.id),
			slices.Contains(q.exclude, w.id),
			q.created.active() && !q.created.match(w.created),
			q.modified.active() && !q.modified.match(w.modified):
			continue
		}
		match = append(match, w)
	}
	slices.SortStableFunc(match, func(a, b webhook) int {
		var c int
		switch q.orderBy {
		case "name":
			c = strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
		case "date_created_gmt":
			c = cmp.Compare(a.created, b.created)
		case "date_modified_gmt":
			c = cmp.Compare(a.modified, b.modified)
		}
		if c == 0 {
			c = cmp.Compare(a.id, b.id)
		}
		if q.desc {
			c = -c
		}
		return c
	})
	total = len(match)
	start := min(max(q.offset, 0), total)
	end := total
	if q.limit >= 0 {
		end = min(start+q.limit, total)
	}
	return match[start:end], total
}
