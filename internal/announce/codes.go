package announce

// Codes of FieldError: what is wrong, independent of the language, so the
// admin form can say it in German or English next to the field.
const (
	CodeInvalid      = "invalid"       // malformed request (API only)
	CodeRequired     = "required"      // the field is missing
	CodeEmpty        = "empty"         // text that must not be empty
	CodeTooLong      = "too_long"      // Args[0]: maximum characters
	CodeUTF8         = "utf8"          // not UTF-8 text
	CodeSeverity     = "severity"      // not info, warning or critical
	CodeTooMany      = "too_many"      // Args[0]: maximum groups
	CodeGroupName    = "group_name"    // not a group name
	CodeLanguage     = "language"      // a translation other than en
	CodeTime         = "time"          // not a date and time
	CodeAfterPublish = "after_publish" // expiry not after publication
)
