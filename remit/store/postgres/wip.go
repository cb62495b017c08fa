package postgres

import (
	"context"
	"errors"

	"github.com/remit-dev/remit/remit/store"
)

var errNotYet = errors.New("not done yet on PostgreSQL (branch pg-store)")

func (s *Store) Statements(ctx context.Context, creditorID int64, bank string) ([]store.StatementRecord, error) {
	return nil, errNotYet
}
func (s *Store) SuspenseLines(ctx context.Context, creditorID int64, all bool) ([]store.SuspenseLine, error) {
	return nil, errNotYet
}
func (s *Store) Treasury(ctx context.Context, fn func(store.TreasuryTx) error) error {
	return errNotYet
}
