package ajans

// Assistant capabilities.
const (
	CapabilityChat     = "chat"
	CapabilityVision   = "vision"
	CapabilityImage    = "image"
	CapabilityDocument = "document"
)

// Assistant is a member of the AI team.
type Assistant struct {
	ID           int64
	Names        map[string]string // language code → name, e.g. "tr" → "Yazılımcı"
	Descriptions map[string]string // language code → description
	SystemPrompt string
	Model        string // "provider/model", or "" for the default model
	Capabilities []string
	Enabled      bool
}

// Can reports whether the assistant has capability c.
func (a *Assistant) Can(c string) bool {
	for _, have := range a.Capabilities {
		if have == c {
			return true
		}
	}
	return false
}
