package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ajans/ajans/internal/billing"
)

// Config is everything ajans reads at start: defaults, then the optional
// YAML file, then environment variables, then flags, each overriding the one
// before. It is read once and passed down.
type Config struct {
	DataDir        string           `yaml:"data_dir"`
	DatabaseURL    string           `yaml:"database_url"`
	Addr           string           `yaml:"addr"`
	RedisURL       string           `yaml:"redis_url"`
	DefaultModel   string           `yaml:"default_model"`
	ImageModel     string           `yaml:"image_model"`
	AssistantsFile string           `yaml:"assistants_file"`
	Providers      []ProviderConfig `yaml:"providers"`
	ContextTokens  int              `yaml:"context_tokens"`
	TrustProxy     bool             `yaml:"trust_proxy"`
	LogLevel       string           `yaml:"log_level"`
	LogFormat      string           `yaml:"log_format"`
	DrainTimeout   time.Duration    `yaml:"drain_timeout"`
	PprofAddr      string           `yaml:"pprof_addr"` // serve net/http/pprof here; empty: off
	Billing        BillingConfig    `yaml:"billing"`

	// The dashboard and the plans.
	BaseURL       string               `yaml:"base_url"`       // e.g. https://ai.example.com
	SignupPlan    string               `yaml:"signup_plan"`    // default free
	SecureCookies bool                 `yaml:"secure_cookies"` // behind a TLS proxy
	PlansFile     string               `yaml:"plans_file"`
	Plans         []billing.PlanConfig `yaml:"plans"`

	// Dev runs the built-in mock model and seeds a demo user and app.
	Dev      bool   `yaml:"-"`
	DevToken string `yaml:"-"`
}

// ProviderConfig names one OpenAI-compatible model endpoint.
type ProviderConfig struct {
	Name           string        `yaml:"name"`
	BaseURL        string        `yaml:"base_url"`
	APIKey         string        `yaml:"api_key"`
	APIKeyFile     string        `yaml:"api_key_file"`
	Timeout        time.Duration `yaml:"timeout"`
	MaxRetries     int           `yaml:"max_retries"`
	MaxTokensField string        `yaml:"max_tokens_field"`
}

// BillingConfig overrides the billing rules.
type BillingConfig struct {
	LowCredit       int64         `yaml:"low_credit"`
	MaxOutputTokens int           `yaml:"max_output_tokens"`
	HoldTTL         time.Duration `yaml:"hold_ttl"`
}

// defaultConfig returns the settings ajans runs with when told nothing.
func defaultConfig() Config {
	return Config{
		DataDir:       "./ajans-data",
		Addr:          "127.0.0.1:8080",
		ContextTokens: 8000,
		LogLevel:      "info",
		LogFormat:     "text",
		DrainTimeout:  30 * time.Second,
	}
}

// loadFile reads the YAML configuration file at path over c. An empty file
// changes nothing; an unknown setting is an error.
func (c *Config) loadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: %s", path, yamlProblem(err))
	}
	return nil
}

// unknownField matches yaml's words for a key the Config has no field for.
var unknownField = regexp.MustCompile(`^(line \d+): field (\S+) not found in type \S+$`)

// yamlProblem says on one line what is wrong in a YAML file.
func yamlProblem(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(err.Error(), "yaml: ")
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = unknownField.ReplaceAllString(m, `$1: unknown setting "$2"`)
	}
	return strings.Join(msgs, "; ")
}

// loadEnv reads the AJANS_* environment variables over c.
func (c *Config) loadEnv(getenv func(string) string) error {
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	str("AJANS_DATA_DIR", &c.DataDir)
	str("AJANS_DATABASE_URL", &c.DatabaseURL)
	str("AJANS_ADDR", &c.Addr)
	str("AJANS_REDIS_URL", &c.RedisURL)
	str("AJANS_PPROF_ADDR", &c.PprofAddr)
	str("AJANS_MODEL", &c.DefaultModel)
	str("AJANS_IMAGE_MODEL", &c.ImageModel)
	str("AJANS_ASSISTANTS_FILE", &c.AssistantsFile)
	str("AJANS_LOG_LEVEL", &c.LogLevel)
	str("AJANS_LOG_FORMAT", &c.LogFormat)
	str("AJANS_DEV_TOKEN", &c.DevToken)
	str("AJANS_BASE_URL", &c.BaseURL)
	str("AJANS_SIGNUP_PLAN", &c.SignupPlan)
	str("AJANS_PLANS_FILE", &c.PlansFile)
	if v := getenv("AJANS_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("AJANS_SECURE_COOKIES=%q: want true or false", v)
		}
		c.SecureCookies = b
	}
	if v := getenv("AJANS_DRAIN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("AJANS_DRAIN_TIMEOUT=%q: want a duration such as 30s", v)
		}
		c.DrainTimeout = d
	}
	if v := getenv("AJANS_TRUST_PROXY"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("AJANS_TRUST_PROXY=%q: want true or false", v)
		}
		c.TrustProxy = b
	}

	// One OpenAI-compatible provider can be set up from the environment alone.
	if base := getenv("AJANS_OPENAI_BASE_URL"); base != "" {
		p := ProviderConfig{Name: "openai", BaseURL: base, APIKey: getenv("AJANS_OPENAI_API_KEY"),
			APIKeyFile: getenv("AJANS_OPENAI_API_KEY_FILE")}
		c.Providers = append(c.Providers, p)
		if c.DefaultModel != "" && !strings.Contains(c.DefaultModel, "/") {
			c.DefaultModel = "openai/" + c.DefaultModel
		}
	}
	return nil
}

// rules returns the billing rules with the configured overrides.
func (c *Config) rules() billing.Rules {
	r := billing.DefaultRules()
	if c.Billing.LowCredit > 0 {
		r.LowCredit = c.Billing.LowCredit
	}
	if c.Billing.MaxOutputTokens > 0 {
		r.MaxOutputTokens = c.Billing.MaxOutputTokens
	}
	if c.Billing.HoldTTL > 0 {
		r.HoldTTL = c.Billing.HoldTTL
	}
	return r
}

// apiKey returns the provider's key, read from its file when one is named.
func (p ProviderConfig) apiKey() (string, error) {
	if p.APIKeyFile == "" {
		return p.APIKey, nil
	}
	b, err := os.ReadFile(p.APIKeyFile)
	if err != nil {
		return "", fmt.Errorf("provider %s: api key file: %w", p.Name, err)
	}
	return strings.TrimSpace(string(b)), nil
}
