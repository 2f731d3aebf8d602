package woosim

import "strconv"

// writeWebhookWCV3 writes a webhook as WC_REST_Webhooks_V2_Controller
// prepares it (wc/v3 inherits it), with the keys of
// samples/wc-v3-webhooks-list.json.
func (s *Sim) writeWebhookWCV3(w *jsonWriter, wh *webhook, site string) {
	id := strconv.FormatInt(wh.id, 10)
	w.raw(`{"id":`)
	w.raw(id)
	w.raw(`,"name":`)
	w.str(wh.name)
	w.raw(`,"status":`)
	w.str(wh.status)
	w.raw(`,"topic":`)
	w.str(wh.topic)
	w.raw(`,"resource":`)
	w.str(wh.resource())
	w.raw(`,"event":`)
	w.str(wh.event())
	w.raw(`,"hooks":[`)
	for i, h := range wh.hooks() {
		if i > 0 {
			w.raw(",")
		}
		w.str(h)
	}
	w.raw(`],"delivery_url":`)
	w.str(wh.deliveryURL)
	w.raw(`,"date_created":`)
	s.dateLocal(w, wh.created)
	w.raw(`,"date_created_gmt":`)
	dateGMT(w, wh.created)
	w.raw(`,"date_modified":`)
	s.dateLocal(w, wh.modified)
	w.raw(`,"date_modified_gmt":`)
	dateGMT(w, wh.modified)
	w.raw(`,"_links":{"self":[{"href":`)
	w.str(site + "/wp-json/wc/v3/webhooks/" + id)
	w.raw(`}],"collection":[{"href":`)
	w.str(site + "/wp-json/wc/v3/webhooks")
	w.raw(`}]}}`)
}

// writeWebhookLegacy writes a webhook as WC_API_Webhooks::get_webhook()
// does (without the {"webhook":…} wrapper).
func writeWebhookLegacy(w *jsonWriter, wh *webhook) {
	w.raw(`{"id":`)
	w.int(wh.id)
	w.raw(`,"name":`)
	w.str(wh.name)
	w.raw(`,"status":`)
	w.str(wh.status)
	w.raw(`,"topic":`)
	w.str(wh.topic)
	w.raw(`,"resource":`)
	w.str(wh.resource())
	w.raw(`,"event":`)
	w.str(wh.event())
	w.raw(`,"hooks":[`)
	for i, h := range wh.hooks() {
		if i > 0 {
			w.raw(",")
		}
		w.str(h)
	}
	w.raw(`],"delivery_url":`)
	w.str(wh.deliveryURL)
	w.raw(`,"created_at":`)
	legacyDateTime(w, wh.created)
	w.raw(`,"updated_at":`)
	legacyDateTime(w, wh.modified)
	w.raw("}")
}
