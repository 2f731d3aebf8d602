package secrets

import "sync"

// Memory is a Store held in memory. Tests give each test its own, so no test
// sees another's secrets; go-keyring's MockInit swaps one provider for the
// whole process, and tests that shared it lost each other's shops.
type Memory struct {
	mu   sync.Mutex
	m    map[string]string
	fail error
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory { return &Memory{m: map[string]string{}} }

// Fail makes every later call fail as an unreachable keyring does, with err
// as the cause; Fail(nil) makes the store answer again.
func (s *Memory) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *Memory) Get(account string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return "", &UnavailableError{Err: s.fail}
	}
	v, ok := s.m[account]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (s *Memory) Set(account, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return &UnavailableError{Err: s.fail}
	}
	s.m[account] = secret
	return nil
}

func (s *Memory) Delete(account string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return &UnavailableError{Err: s.fail}
	}
	delete(s.m, account)
	return nil
}
