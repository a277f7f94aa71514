package api

import (
	"net/http"

	"github.com/ajans/ajans"
)

type assistantReply struct {
	ID           int64             `json:"id"`
	Name         map[string]string `json:"name"`
	Description  map[string]string `json:"description"`
	Capabilities []string          `json:"capabilities"`
}

// aiTeamList answers GET /api/v2/ai-team-list/{token}: a bare array of the
// enabled assistants, names keyed name_tr, name_en, ….
func (s *Server) aiTeamList(w http.ResponseWriter, r *http.Request, _ ajans.Caller) error {
	team := s.Team.List()
	out := make([]assistantReply, 0, len(team))
	for _, a := range team {
		out = append(out, assistantReply{
			ID:           a.ID,
			Name:         keyed("name_", a.Names),
			Description:  keyed("description_", a.Descriptions),
			Capabilities: a.Capabilities,
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// keyed returns m with each language key given a prefix: tr → name_tr.
func keyed(prefix string, m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for lang, v := range m {
		out[prefix+lang] = v
	}
	return out
}
