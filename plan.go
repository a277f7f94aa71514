package ajans

// Plan features. A plan lists the ones it grants.
const (
	FeatureAPIAccess          = "api_access"
	FeatureFileUpload         = "file_upload"
	FeatureImageGeneration    = "image_generation"
	FeatureDocumentGeneration = "document_generation"
)

// Plan is what a user pays for: a monthly allowance, features and a rate limit.
type Plan struct {
	Name             string
	MonthlyAllowance int64
	Features         []string
	RatePerMinute    int
}

// Has reports whether the plan grants feature.
func (p Plan) Has(feature string) bool {
	for _, f := range p.Features {
		if f == feature {
			return true
		}
	}
	return false
}

// DefaultPlans returns the four plans every installation starts with.
// Only pro and business reach the API.
func DefaultPlans() []Plan {
	api := []string{FeatureAPIAccess, FeatureFileUpload, FeatureImageGeneration, FeatureDocumentGeneration}
	return []Plan{
		{Name: "free", RatePerMinute: 60},
		{Name: "starter", MonthlyAllowance: 20_000, Features: []string{FeatureFileUpload}, RatePerMinute: 60},
		{Name: "pro", MonthlyAllowance: 100_000, Features: api, RatePerMinute: 60},
		{Name: "business", MonthlyAllowance: 500_000, Features: api, RatePerMinute: 60},
	}
}

// PlanByName returns the plan called name from plans, and whether it exists.
func PlanByName(plans []Plan, name string) (Plan, bool) {
	for _, p := range plans {
		if p.Name == name {
			return p, true
		}
	}
	return Plan{}, false
}
