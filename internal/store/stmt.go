package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// statements keeps the prepared statements of one SQLite pool by query
// text, so that each query is parsed once per connection instead of once
// per call; parsing was a fifth of the CPU a message cost. PostgreSQL needs
// none of this: pgx caches its statements itself.
type statements struct {
	pool    *sql.DB
	byQuery sync.Map // query text → *sql.Stmt
}

// get returns the statement prepared for query, or nil.
func (s *statements) get(query string) *sql.Stmt {
	if s == nil {
		return nil
	}
	if st, ok := s.byQuery.Load(query); ok {
		return st.(*sql.Stmt)
	}
	return nil
}

// prepare returns the statement for query, preparing it on first use.
func (s *statements) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := s.get(query); st != nil {
		return st, nil
	}
	st, err := s.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.byQuery.LoadOrStore(query, st); loaded {
		st.Close() // another call prepared it first
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// close closes every statement.
func (s *statements) close() error {
	if s == nil {
		return nil
	}
	var errs []error
	s.byQuery.Range(func(_, st any) bool {
		errs = append(errs, st.(*sql.Stmt).Close())
		return true
	})
	return errors.Join(errs...)
}
