package api

import (
	"net/http"

	"github.com/ajans/ajans"
)

type creditReply struct {
	Credit    int64 `json:"credit"`
	LowCredit bool  `json:"low_credit"`
	NoCredit  bool  `json:"no_credit"`
}

// credit answers GET /api/v2/credit/{token}: the app's balance.
func (s *Server) credit(w http.ResponseWriter, r *http.Request, c ajans.Caller) error {
	balance, err := s.Store.AppBalance(r.Context(), c.AppID)
	if err != nil {
		return err
	}
	low, none := s.Rules.Status(balance)
	writeJSON(w, http.StatusOK, creditReply{Credit: balance, LowCredit: low, NoCredit: none})
	return nil
}
