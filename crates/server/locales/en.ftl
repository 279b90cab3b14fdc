# Widgetry's pages and server messages in English. Ids are used by the server's code and
# templates (`t("id", name=value)`); `crates/server/src/web/i18n.rs` checks that Russian
# has the same ids and that every id is used.


## pages
layout-skip = Skip to content
layout-nav = Main
layout-language = Language
layout-sign_out = Sign out
nav-catalog = Catalogue
nav-integrations = My integrations
nav-tokens = API tokens
nav-moderation = Moderation
login-title = Sign in
login-email = E-mail
login-password = Password
login-account = Account
login-account_hint = subdomain; leave empty for your first account
login-submit = Sign in
login-failed = Wrong e-mail or password.
login-no_account = You are not a member of that account.
login-expired = The sign-in form expired or did not come from this site; enter your password again.
login-too_many = Too many sign-in attempts from your address for this e-mail address. Wait a little and try again.
login-busy = The server is busy checking passwords. Try again in a few seconds.
message-back = Back
report-request = The submission form and the package as a whole
report-general = The package as a whole
report-errors = { $n ->
    [one] { $n } error
   *[other] { $n } errors
}
report-warnings = { $n ->
    [one] { $n } warning
   *[other] { $n } warnings
}
report-line = line { $line }
report-column = column { $column }
report-source = Source lines
report-hint = How to fix:
report-libraries = Bundled libraries
report-libraries_note = Recognised third-party libraries: their code is not judged as the author's.
report-library_file = File
report-library = Library
report-library_how = Recognised
report-library_advisories = Advisories
report-library_how-hash = byte for byte a published release
report-library_how-normalised_hash = a published release, re-saved
report-library_how-banner = by licence banner and file name
severity-error = error
severity-warning = warning
severity-info = note

## Pages that cannot be shown (`failure.rs`).
error-not_found-title = Not found
error-not_found-text = There is nothing here, or it belongs to another account.
error-forbidden-title = Not allowed
error-forbidden-text = You may not do this.
error-missing_scope = This token lacks the { $scope } scope.
error-conflict-title = Not possible now
error-bad_input-title = Cannot do this
error-csrf-title = The form expired
error-csrf-text = This form has expired or did not come from this site. Go back, reload the page and try again.
error-unavailable-title = Try again shortly
error-unavailable-text = The service is busy or its storage does not answer; nothing was changed. Try again in a moment.
error-too_many-title = Too many attempts
error-too_many-text = Too many attempts; try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
error-failed-title = Something failed
error-failed-text = Something failed on the server; the failure is logged. Try again later.

## input
input-scope-unknown = There is no scope `{ $value }`; choose from upload, submit, install, moderate and admin.
input-role-unknown = There is no role `{ $value }`; roles are admin and member.
input-email-invalid = `{ $value }` is not an e-mail address.
input-subdomain-invalid = `{ $value }` is not an account subdomain: use lowercase letters, digits and `-`, at most 63.
input-subdomain-unknown = No account has the subdomain `{ $value }`.
input-password-short = Choose a password of at least { $min ->
    [one] { $min } character
   *[other] { $min } characters
}.
input-token-name_length = Give the token a name of 1 to 100 characters.
input-token-lifetime = A token lives 1 to { $max } days; leave the lifetime empty for no expiry.
input-token-scopes_missing = Choose at least one scope.
input-token-expiry_past = The expiry is in the past; choose a later date or none.
input-webhook-url_too_long = The webhook URL is too long.
input-webhook-url_malformed = `{ $url }` is not a valid URL ({ $error }).
input-webhook-url_scheme = The webhook URL `{ $url }` must start with https:// (or http://).
input-webhook-url_no_host = The webhook URL `{ $url }` has no host.
input-webhook-url_credentials = The webhook URL `{ $url }` must not carry a user name or password.
input-list-page_start = Pages start at 1.
input-list-limit_range = Choose between 1 and { $max ->
    [one] { $max } item
   *[other] { $max } items
} per page.
input-integration-locale_unknown = The { $what } is given in `{ $locale }`, which is not one of: { $locales }.
input-integration-text_too_long = Shorten this text to at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
}.
input-integration-text_control = Remove the control characters from this text.
input-integration-name_missing = Enter a name in English or in Russian.
input-redirect_uri-not_absolute = Enter an absolute https:// address: `{ $uri }` is not one.
input-redirect_uri-no_host = Enter an absolute https:// address: `{ $uri }` has no host.
input-redirect_uri-http = Enter an absolute https:// address (http:// only for localhost): `{ $uri }` uses http.
input-redirect_uri-scheme = Enter an absolute https:// address (http:// only for localhost): `{ $uri }` is not https.
input-redirect_uri-fragment = Enter an absolute https:// address without a fragment (the part after `#`).
input-redirect_uri-credentials = Enter an absolute https:// address without a user name or password.
input-integration-code_invalid = `{ $code }` is not a widget code: lowercase Latin letters, digits and `_`, starting with a letter, at most 64.
input-integration-secret_key_invalid = The secret key is 64 hexadecimal characters.
input-version-unknown = Integration { $integration } has no version { $number }.
input-version-not_chosen = Choose a version first.
input-version-manifest_no_version = The manifest has no `widget.version`.
input-rejection-reasons_missing = A rejection needs at least one reason: a rule code and a text.
input-rejection-reason_code_unknown = Reason { $index }: there is no rule or moderation code `{ $code }`.
input-rejection-reason_text_missing = Reason { $index }: say what to fix for `{ $code }`.
input-settings-not_object = The settings could not be read; reload the page and try again.
input-settings-unknown_field = The widget has no such setting.
input-settings-required = A value is required.
input-settings-string = Enter text.
input-settings-user_id = `{ $user }` is not a user of this account.
input-settings-user_string = Enter text for user `{ $user }`.
input-settings-user_pair = Enter a login and a password for user `{ $user }`.
input-settings-users_object = Enter a value for each user.
input-settings-users_lp_object = Enter a login and a password for each user.
input-settings-custom = Enter valid JSON text (for example {"{"}"mode": "full"{"}"}) or a number.
input-settings-unknown_type = The widget declares a setting of an unknown type `{ $kind }`; its author must fix the manifest.

## catalog
catalog-title = Catalogue
catalog-search = Search by name or code
catalog-search_button = Search
catalog-search_clear = Show all
catalog-count = { $n ->
    [one] { $n } widget found
   *[other] { $n } widgets found
}
catalog-pages = Pages
catalog-page_of = page { $page } of { $pages }
catalog-prev = Previous page
catalog-next = Next page
catalog-empty = There are no widgets to install yet. Widgets appear here when your account uploads one, or when a widget is published for everyone.
catalog-empty_hint = Create an integration and upload a widget
catalog-no_match = No widget matches “{ $q }”.
catalog-private = private
catalog-public = public
catalog-installed = installed
catalog-not_installed = not installed
catalog-version = version { $v }
catalog-own = your integration
catalog-description = Description
catalog-tour = Tour
catalog-tour_image = { $name }: tour image { $n }
catalog-back = Back to the catalogue
catalog-back_widget = Back to the widget
catalog-install = Install
catalog-reconfigure = Settings
catalog-uninstall = Uninstall
catalog-uninstall_confirm = Uninstall { $name } from this account?
catalog-installed_since = Installed; settings last saved { $when }.
catalog-admins_only = Only administrators of the account { $account } can install, configure and uninstall widgets. Ask one of them to do it.
catalog-forbidden = Not allowed
catalog-install_title = Install { $name }
catalog-reconfigure_title = Settings of { $name }
catalog-required_note = Fields marked * are required.
catalog-no_settings = This widget has no settings.
catalog-form_problems = The settings were not saved. Correct the fields marked below.
catalog-retype_passwords = Passwords are never sent back to the page: type the new ones again (fields left empty keep the saved value).
catalog-save = Save settings
catalog-pass_keep = A value is saved; leave empty to keep it.
catalog-users_hint = One value per user of the account; leave empty for users who need none.
catalog-users_lp_hint = A login and a password per user of the account; leave both empty for users who need none. A password left empty keeps the saved one.
catalog-login_for = { $email }: login
catalog-password_for = { $email }: password
catalog-custom_hint = The widget draws this setting itself inside amoCRM. Here you can enter its value as JSON text (for example {"{"}"mode": "full"{"}"}) or a number.
catalog-notice-installed = The widget is installed.
catalog-notice-updated = The settings are saved.
catalog-notice-uninstalled = The widget is uninstalled.

## integrator

## The list.
integrator-list-title = Integrations
integrator-list-empty = This account has no integrations yet.
integrator-list-new = Create an integration
integrator-col-name = Name
integrator-col-code = Code
integrator-col-visibility = Visibility
integrator-col-latest = Latest version
integrator-col-published = Published version
integrator-none = none
integrator-code_pending = generated at the first upload
integrator-visibility-private = private
integrator-visibility-public = public
integrator-scheme-market = market
integrator-scheme-legacy = legacy

## Create and edit.
integrator-new-title = New integration
integrator-new-submit = Create integration
integrator-edit-title = Edit { $name }
integrator-edit-submit = Save changes
integrator-edit-cancel = Cancel
integrator-form-names = Name (at least one language)
integrator-form-name_en = Name (English)
integrator-form-name_ru = Name (Russian)
integrator-form-descriptions = Description
integrator-form-description_en = Description (English)
integrator-form-description_ru = Description (Russian)
integrator-form-redirect_uri = Redirect URI
integrator-form-redirect_hint = where amoCRM sends the OAuth code: an https:// address (http:// only for localhost)
integrator-form-required = required
integrator-form-failed = The integration was not saved: correct the marked fields.
integrator-err-redirect_missing = Enter the redirect URI.

## The integration page.
integrator-page-code = Code
integrator-page-scheme = Scheme
integrator-page-visibility = Visibility
integrator-page-client_uuid = Client ID (client_uuid)
integrator-page-redirect_uri = Redirect URI
integrator-page-description = Description
integrator-page-created = Created
integrator-page-actions = Actions
integrator-page-edit = Edit texts
integrator-page-history = History
integrator-page-submit = Submit for moderation
integrator-page-rotate = Rotate secret key
integrator-page-rotate_confirm = Replace the secret key? The current key stops working at once.
integrator-page-convert = Convert to the market scheme
integrator-page-convert_confirm = Convert this legacy integration to the market scheme? Uploads will no longer carry the code and secret key in the manifest. This cannot be undone.
integrator-page-convert_hint = Legacy integrations carry their code and secret key in manifest.json; an account admin can convert them.
integrator-secret-title = Secret key: shown only now
integrator-secret-text = Copy the secret key now and keep it safe. It is shown only now: it is not stored and cannot be shown again (rotate it to get a new one).
integrator-upload-title = Upload a version
integrator-upload-file = Package (widget.zip)
integrator-upload-hint = The file must be named widget.zip; at most { $limit }. widget.version in manifest.json must be higher than the latest version.
integrator-upload-submit = Upload
integrator-upload-progress = Upload progress
integrator-upload-checking = Checking the package…
integrator-upload-failed_net = The upload failed: check the connection and try again.
integrator-upload-refused = The upload was refused
integrator-upload-invalid = widget.zip was refused with { $n ->
    [one] { $n } error
   *[other] { $n } errors
}; nothing was stored. Each finding is listed below under its file.
integrator-upload-not_increasing = widget.version { $given } is not higher than the latest version { $latest }. Set widget.version in manifest.json to { $next } or higher and upload again.
integrator-upload-duplicate = This archive was already uploaded as version { $number } ({ $widget_version }); nothing was stored.
integrator-upload-too_large = The file is larger than the upload limit of { $limit }; nothing was stored.
integrator-upload-wrong_name = The file is named { $name }; it must be named widget.zip. Rename it and choose it again.
integrator-upload-no_file = Choose the widget.zip file first.
integrator-upload-unreadable = The upload could not be read; try again.
integrator-upload-warnings_title = Warnings and notes of version { $number }
integrator-versions-title = Versions
integrator-versions-empty = No version yet: upload widget.zip above.
integrator-versions-number = Number
integrator-versions-widget_version = widget.version
integrator-versions-state = State
integrator-versions-uploaded = Uploaded
integrator-versions-rollback = Roll back to this version
integrator-versions-rollback_confirm = Publish this earlier version again instead of the current one?
integrator-submissions-title = Submissions
integrator-submissions-empty = No submission yet.
integrator-submissions-id = Submission
integrator-submissions-version = Version
integrator-submissions-state = State
integrator-submissions-submitted = Submitted
integrator-submissions-decision = Moderators' decision
integrator-submissions-note = Note:
integrator-submissions-decided = Decided { $at }
integrator-submissions-withdraw = Withdraw
integrator-submissions-withdraw_confirm = Withdraw this submission from moderation?
integrator-state-uploaded = uploaded
integrator-state-in_review = in review
integrator-state-approved = approved
integrator-state-rejected = rejected
integrator-state-published = published
integrator-state-superseded = superseded
integrator-state-withdrawn = withdrawn

## Notices.
integrator-notice-uploaded = Version { $number } ({ $widget_version }) uploaded { $n ->
    [0] without warnings
    [one] with { $n } warning
   *[other] with { $n } warnings
}.
integrator-notice-edited = Changes saved.
integrator-notice-submitted = Submitted for moderation. The moderators' decision will appear under Submissions.
integrator-notice-withdrawn = Submission withdrawn.
integrator-notice-rolled_back = The earlier version is published again.
integrator-notice-converted = Converted to the market scheme.
integrator-notice-created = Integration created.
integrator-notice-rotated = A new secret key replaced the old one.

## Refusals of actions.
integrator-refused-conflict = This cannot be done in the current state:

## The submission form.
integrator-submit-title = Submit { $name } for moderation
integrator-submit-intro = Moderators check the version and these texts before it is published in the catalogue.
integrator-submit-no_version = There is no version to submit yet: upload widget.zip first.
integrator-submit-version = Version
integrator-submit-version_option = { $number }: { $widget_version } ({ $state })
integrator-submit-languages = Publication languages
integrator-submit-languages_hint = the widget must declare each one in widget.locale
integrator-submit-texts_for = Texts in { $language }
integrator-submit-required_per_language = required for each publication language
integrator-submit-description = Description ({ $language })
integrator-submit-description_hint = what the widget does; include the support phone and e-mail
integrator-submit-instructions = Instructions ({ $language })
integrator-submit-instructions_hint = how to connect and use the widget
integrator-submit-change_name = New name ({ $language }, optional)
integrator-submit-change_description = New listing description ({ $language }, optional)
integrator-submit-changes_hint = applied to the integration when the submission is approved
integrator-submit-test_credentials = Test credentials
integrator-submit-test_credentials_hint = a test account for the third-party system the widget works with; shown to moderators only
integrator-submit-test_credentials_again = For safety the test credentials were not kept: enter them again.
integrator-submit-support_phone = Support phone
integrator-submit-support_email = Support e-mail
integrator-submit-submit = Submit for moderation
integrator-submit-blocked = The submission is blocked by { $n ->
    [one] { $n } error
   *[other] { $n } errors
}; nothing was queued. Each finding is listed below; those about the form are also shown beside their fields.
integrator-submit-report = Findings

## History.
integrator-history-title = History of { $name }
integrator-history-empty = Nothing recorded yet.
integrator-history-time = Time
integrator-history-who = Who
integrator-history-kind = Event
integrator-history-states = From → to
integrator-history-details = Details
integrator-history-you = you
integrator-history-moderator = a platform moderator
integrator-history-user = user #{ $id }
integrator-history-system = system
integrator-back = Back to the integration
integrator-kind-integration-created = integration created
integrator-kind-integration-updated = texts edited
integrator-kind-integration-secret_rotated = secret key replaced
integrator-kind-integration-converted = converted to the market scheme
integrator-kind-integration-imported = imported (legacy)
integrator-kind-integration-rolled_back = rolled back
integrator-kind-version-uploaded = version uploaded
integrator-kind-version-published = version published
integrator-kind-version-superseded = version superseded
integrator-kind-submission-created = submitted for moderation
integrator-kind-submission-withdrawn = submission withdrawn
integrator-kind-submission-approved = submission approved
integrator-kind-submission-rejected = submission rejected

## Language names.
integrator-lang-en = English
integrator-lang-ru = Russian
integrator-lang-es = Spanish
integrator-lang-pt = Portuguese
integrator-lang-tr = Turkish
integrator-lang-id = Indonesian

## moderation
moderation-title = Moderation
moderation-forbidden_title = For moderators only
moderation-forbidden_text = The moderation console is for platform moderators, and you are not one. Ask the platform's operators if you should be.
moderation-tabs = Submissions
moderation-tab_queue = Waiting for review
moderation-tab_history = Recently decided
moderation-queue_caption = Submissions waiting for review, oldest first
moderation-history_caption = Decided submissions, newest first
moderation-queue_empty = No submissions are waiting for review.
moderation-history_empty = No submission has been decided yet.
moderation-col_integration = Integration
moderation-col_account = Account
moderation-col_version = Version
moderation-col_languages = Languages
moderation-col_submitted = Submitted
moderation-col_waiting = Waiting
moderation-col_state = Decision
moderation-col_decided = Decided
moderation-waiting_days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
moderation-waiting_today = less than a day
moderation-version_label = version { $number } ({ $widget_version })
moderation-state_in_review = in review
moderation-state_approved = approved
moderation-state_rejected = rejected
moderation-state_withdrawn = withdrawn
moderation-submission_title = Submission { $id }: { $name }
moderation-back_to_queue = Back to the queue
moderation-on_this_page = On this page
moderation-summary = Summary
moderation-state = State
moderation-base = Published now
moderation-base_none = nothing yet: this is the first publication
moderation-report_title = Automated checks
moderation-report_counts = Checked with the publication rules when it was submitted: { $errors ->
    [one] { $errors } error
   *[other] { $errors } errors
}, { $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}.
moderation-report_clean = The automated checks found nothing.
moderation-fields_title = What the integrator submitted
moderation-languages = Publication languages
moderation-description = Description
moderation-instructions = Instructions
moderation-in_lang = { $what }, language: { $lang }
moderation-support_phone = Support phone
moderation-support_email = Support e-mail
moderation-changes = Listing changes applied on approval
moderation-changes_none = none
moderation-change_name = Name
moderation-test_title = Test data — for moderators only
moderation-test_note = Use them to try the widget; do not pass them on. Nobody but moderators sees them.
moderation-test_none = The integrator gave no test data.
moderation-files_title = Files
moderation-files_caption = Files of version { $number }, compared with the published version
moderation-col_path = Path
moderation-col_size = Size
moderation-col_change = Since the published version
moderation-bytes = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
moderation-change_added = added
moderation-change_changed = changed
moderation-change_unchanged = unchanged
moderation-change_removed = removed
moderation-diff_title = Changes since the published version
moderation-diff_against = Compared with version { $number } ({ $widget_version }), the one published now.
moderation-diff_first = Nothing is published yet, so every file is new and shown in full.
moderation-diff_none = No file changed.
moderation-diff_legend = Lines starting with + were added (underlined), lines starting with - were removed (struck through); lines starting with @@ give the line numbers of each block.
moderation-diff_counts = lines added: { $added }, removed: { $removed }
moderation-diff_show = Line diff ({ $n ->
    [one] { $n } line
   *[other] { $n } lines
})
moderation-diff_of = Line diff of { $path }
moderation-diff_binary = No line diff: a binary or very large file.
moderation-diff_truncated = The diff is cut short here; open the file to read all of it.
moderation-view_file = Open the file
moderation-decide_title = Decision
moderation-approve_title = Approve and publish
moderation-approve_base = You reviewed the diff against version { $number }; if another version is published before you approve, the approval is refused.
moderation-approve_first = You reviewed it as a first publication; if another version is published before you approve, the approval is refused.
moderation-note = Note for the integrator (optional)
moderation-approve_button = Approve and publish
moderation-reject_title = Reject
moderation-reject_intro = Give at least one reason: a code and what to fix. Empty rows are ignored.
moderation-reason_n = Reason { $n }
moderation-reason_code = Code
moderation-reason_choose = — choose —
moderation-reason_text = What to fix
moderation-reasons_moderation = Moderation reasons
moderation-reasons_findings = Findings of the automated checks
moderation-reject_button = Reject
moderation-err_code_missing = Choose a code for this reason.
moderation-err_code_unknown = This code is unknown; choose one from the list.
moderation-err_text_missing = Say what the integrator should fix.
moderation-err_no_reason = Give at least one reason.
moderation-err_reject_form = The submission was not rejected: correct the marked reasons.
moderation-err_bad_form = The form could not be read; reload the page and try again.
moderation-err_decided = This submission is no longer in review, so nothing was changed. Its decision is shown below.
moderation-err_published_changed = Another version of this integration was published while you were reviewing, so nothing was approved. Reload the page to see the diff against the version published now, then decide again.
moderation-err_outdated = A newer version of this integration is published already, so this one cannot be approved. Reject it, or ask the integrator to withdraw it.
moderation-reload = Reload the page
moderation-decided_approved = Approved on { $at }; the version was published.
moderation-decided_rejected = Rejected on { $at }.
moderation-decided_withdrawn = Withdrawn by the integrator on { $at }.
moderation-decision_reasons = Reasons
moderation-decision_note = Note
moderation-notice_approved = Approved: the version is published.
moderation-notice_rejected = Rejected: the integrator sees your reasons.
moderation-file_heading = File { $path }
moderation-back_to_submission = Back to submission { $id }
moderation-file_meta = { $size } bytes, SHA-256 { $sha }
moderation-file_source = Contents of { $path }
moderation-file_cut = Showing the first { $shown } of { $total ->
    [one] { $total } line
   *[other] { $total } lines
}.
moderation-file_raw = Open the raw file
moderation-file_binary = This file is not text, so it is not shown here.
moderation-file_image_alt = The image { $path } from the package

## tokens
tokens-title = API tokens
tokens-intro = A token lets the command line or a script act for you in this account, with only the scopes you give it. Programs send it in the Authorization header, after the word Bearer.
tokens-list = Tokens
tokens-empty = There are no tokens yet.
tokens-name = Name
tokens-prefix = Starts with
tokens-scopes = Scopes
tokens-owner = Owner
tokens-created = Created
tokens-expires = Expires
tokens-last_used = Last used
tokens-state = State
tokens-actions = Actions
tokens-never = never
tokens-not_used = not yet
tokens-active = active
tokens-expired = expired
tokens-revoked = revoked { $when }
tokens-revoke = Revoke
tokens-revoke_named = Revoke the token { $name }
tokens-revoke_confirm = Revoke the token { $name }? Programs using it stop working at once.
tokens-create = Create a token
tokens-name_hint = What it is for, e.g. “CI upload” (1 to 100 characters).
tokens-scopes_hint = Give only what the program needs. Only the scopes you may grant are listed.
tokens-days = Expires in (days)
tokens-days_hint = From 1 to { $max }; leave empty for a token that never expires.
tokens-submit = Create token
tokens-form_problems = The token was not created. Correct the fields marked below.
tokens-problem-days = Enter a whole number of days from 1 to { $max }, or leave it empty.
tokens-created_title = Your new token
tokens-value = The token “{ $name }”
tokens-copy_hint = Copy it now and keep it somewhere safe: it is shown only this once. Select the field and press Ctrl+C (⌘C on a Mac).
tokens-back = Back to the tokens
tokens-notice-revoked = The token is revoked.
tokens-scope-upload = create and edit integrations, upload versions
tokens-scope-submit = submit versions for moderation
tokens-scope-install = install and uninstall widgets
tokens-scope-moderate = moderate submissions
tokens-scope-admin = manage tokens, convert legacy integrations

## The upload intake (API answers in the request's language)
upload-duplicate_field = the request carries more than one `widget` field; send exactly one
upload-missing_file = the request has no `widget` field; send the package as multipart field `widget` with file name `widget.zip`
upload-wrong_file_name = the uploaded file is named `{ $name }`; it must be named `widget.zip`
upload-no_file_name = the `widget` field carries no file name; send the file as `widget.zip`

## The moderators' own reason codes (registry MODERATION_REASONS), as the console and the API show them
reason-moderation-unclear_instructions = the instructions do not explain how to connect and use the widget
reason-moderation-inaccurate_description = the description does not match what the widget does
reason-moderation-not_working = the widget does not work as described in the test account
reason-moderation-test_access = the test credentials are missing or do not work
reason-moderation-data_consent = account data is sent out without the user's explicit consent
reason-moderation-ui = the widget overlaps, hides or changes system controls
reason-moderation-localisation = texts or images mix languages or are not translated
reason-moderation-branding = the name, logo or texts misuse the platform's brand or mislead
reason-moderation-support = the support contacts do not answer or send users to the platform's support
reason-moderation-duplicate = the same integration is already published
reason-moderation-other = another problem, explained in the text

## Refused state changes (registry StateCase), by case
state-submission-no_such_version = Integration { $integration } has no version { $number }.
state-submission-no_version_yet = The integration has no version yet: upload widget.zip first.
state-submission-older = Version { $number } ({ $widget_version }) is older than the published version { $published } ({ $published_version }): upload a newer version and submit that.
state-submission-in_review = Version { $number } ({ $widget_version }) is already in review: withdraw that submission first to change it.
state-submission-is_published = Version { $number } ({ $widget_version }) is the published version.
state-submission-was_approved = Version { $number } ({ $widget_version }) was approved before: roll back to it instead of submitting it again.
state-submission-decided = Submission { $id } is no longer in review: it was { $state ->
    [approved] approved
    [rejected] rejected
    [withdrawn] withdrawn
   *[other] { $state_words }
}.
state-submission-outdated = Version { $number } ({ $widget_version }) is published and newer than version { $submitted } of submission { $id }: reject this submission, or ask the integrator to withdraw it.
state-submission-published_changed = The published version of { $code } changed since submission { $id } was reviewed ({ $now_number ->
    [none] nothing is published now
    [unknown] another version is published now
   *[other] version { $now_number } ({ $now_version }) is published now
}): reload the submission to see the diff against it, then decide again.
state-rollback-not_public = The integration has no published version to roll back from.
state-rollback-conflict = Version { $number } is already the published version.
state-rollback-not_approved = Version { $number } is { $state ->
    [uploaded] only uploaded
    [in_review] in review
    [rejected] rejected
   *[other] { $state_words }
}: only versions that were published before can be restored without a review.
state-user-email_taken = A user with the e-mail address { $email } exists already.
state-integration-code_taken = The code { $code } is taken by another integration.
state-integration-not_legacy = The integration is not a legacy integration: there is nothing to convert.

## What a signed-in user may not do (the registry's denials, by case).
denied-auth-needs_admin = Only an admin of the account may do this.
denied-auth-scope_needs_admin = Only an admin of the account may grant the { $scope } scope.
denied-auth-moderators_only = The moderate scope is for platform moderators.
denied-integration-other_account = This integration belongs to another account.
denied-integration-owner_uploads = Only the account that owns an integration uploads its versions.

## preview
preview-title = Preview: { $name } { $version }
preview-heading = Preview of { $name } { $version }
preview-intro = The widget's script.js runs below in an emulated amoCRM page, sandboxed: it sees the preview data on this page, never your session, and nothing it sends leaves the preview. Everything it does is listed in the event log.
preview-back_integration = Back to the integration
preview-back_moderation = Back to the moderation queue
preview-areas = Where the widget runs
preview-area-card = Card ({ $area })
preview-area-list = List ({ $area })
preview-area-settings = Settings window
preview-area-advanced = Advanced settings page
preview-area-dp = Digital pipeline
preview-area-menu = Left-menu page
preview-area-salesbot = Salesbot designer
preview-not_emulated = Declared but not emulated by the preview yet: { $locations }.
preview-languages = Language
preview-frame_title = { $name } running in the preview
preview-log = Event log
preview-log_waiting = Waiting for the widget…
preview-fixtures = Preview data
preview-fixtures_note = The CRM the widget sees is made-up preview data. Change the user's name, the setting values, the card's fields and the list's rows here; the widget starts again with them.
preview-fixture_user = Current user's name
preview-fixture_setting = Setting { $key } ({ $kind })
preview-fixture_card_field = Card field { $name }
preview-fixture_rows = List rows, one name a line (at most 20)
preview-fixtures_apply = Run again with these values
preview-open = Preview
moderation-preview_runs = Preview runs
moderation-preview_run_new = Run the preview
moderation-preview_run = { $area } ({ $lang }): { $errors ->
    [one] { $errors } error
   *[other] { $errors } errors
}, { $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}
moderation-preview_run_clean = The widget ran without findings.
moderation-preview_run_screenshot = The widget in { $area } when the run ended
moderation-preview_run_screenshot_note = Drawn inside the widget’s frame when the run ended: it shows what the widget drew, and the widget could have altered it.
moderation-preview_runs_none = No run saved yet: run the preview, then save the run to this submission.
moderation-notice_previewed = The preview run was saved with the submission.
preview-save_run = Save this run with submission { $id }
preview-save_run_note = Its findings (preview.*) can then be cited when rejecting.
preview-save_all = Run every area ({ $count }) and save each run with submission { $id }
preview-save_all_progress = Running and saving
preview-save_all_failed = Stopped: the server refused the run of
input-preview-area = Name the area the run was in, such as lcard or settings.
input-preview-lang = Name the language the run was in, such as en or ru.
input-preview-events = A run holds at most { $max } events and { $max_bytes } bytes of them, as the preview recorded them.
input-preview-screenshot = A run’s screenshot is a PNG of at most { $max_bytes } bytes and { $max_side } pixels a side ({ $error }).
