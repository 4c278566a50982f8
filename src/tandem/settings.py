"""The one settings module. Everything that differs between machines comes from the environment.

DATABASE_URL  default: SQLite file var/tandem.sqlite3 (PostgreSQL: postgres://user@host:5432/name)
DATABASE_CONN_MAX_AGE  seconds a connection is kept open (default 60; the test runs use 0)
SECRET_KEY    default: generated once into var/secret_key
DEBUG         default: off
ALLOWED_HOSTS default: 127.0.0.1,localhost (comma-separated)
TANDEM_VAR_DIR where state lives (default: var/ beside src/)
TANDEM_TRUSTED_PROXY_COUNT how many reverse proxies in front of Tandem append to X-Forwarded-For
              (default: 0, the header is ignored and the client address is REMOTE_ADDR)
TANDEM_FIELD_KEYS comma-separated Fernet keys for survivors' data at rest, current first
              (default: one generated once into var/field_key)
TANDEM_BLIND_INDEX_KEY key of the blind indexes that look encrypted values up
              (default: generated once into var/blind_index_key)
TANDEM_HTTPS  on when Tandem is served over HTTPS (default: off): HTTP is redirected to HTTPS,
              HSTS is sent for a year, and the session and CSRF cookies are sent over HTTPS only
              (as they are whenever DEBUG is off).
              Behind a proxy that ends TLS, also set TANDEM_TRUSTED_PROXY_COUNT: then (only then)
              the proxy's X-Forwarded-Proto: https says a request came over HTTPS.
TANDEM_PASSWORD_MIN_LENGTH shortest password accepted (default 12; at least 8)
TANDEM_PASSWORD_RESET_TIMEOUT seconds a password reset link works (default 3600)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
              SMTP for password reset links (default: no EMAIL_HOST, emails go to the console)
TANDEM_SESSION_IDLE_MINUTES a session ends after this long without a request (default 30;
              kept to the minute: the last request's time is written at most once a minute)
TANDEM_SESSION_MAX_HOURS a session ends this long after sign-in, however busy (default 12)
TANDEM_API_TOKEN_DAYS how long an API token works after it is made (default 30)
TANDEM_API_TOKEN_LIMIT how many live API tokens one person may hold (default 10)
TANDEM_SIGN_IN_FAILURE_LIMIT failed sign-ins (per account, and per address) that lock it out
              (default 10)
TANDEM_SIGN_IN_WAIT_MINUTES how long the first lockout of a day lasts (default 10); each further
              one doubles it, up to TANDEM_SIGN_IN_WAIT_MAX_MINUTES (default 240)
TANDEM_API_ANON_RATE, TANDEM_API_USER_RATE API requests allowed per client address without
              credentials, and per person (defaults 60/minute and 1200/minute)
TANDEM_REQUEST_MAX_BYTES largest request body accepted, uploads apart (default 1048576, 1 MB)
TANDEM_UPLOAD_REQUEST_MAX_BYTES largest upload request, file and fields (default 22020096, 21 MB)
TANDEM_SQLITE_BUSY_TIMEOUT seconds a write waits for another to finish on SQLite (default 20)
TANDEM_JSON_MAX_DEPTH how deeply an API request's JSON may nest (default 20)
TANDEM_BREAK_GLASS_MINUTES how long a manager's break-glass access to a record lasts (default 60)
TANDEM_BACKUP_KEY comma-separated Fernet keys of `tandem backup`, current first (no default:
              backups are refused without one; keep it apart from the backups)
TANDEM_RETAIN_PERPETRATOR_CASES_YEARS, TANDEM_RETAIN_ISS_CASES_YEARS,
TANDEM_RETAIN_COMPLAINTS_YEARS years after closure before `tandem retention run` anonymises
              (default 6 each)
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from tandem.lib.documents import EVIDENCE_MAX_BYTES
from tandem.lib.encryption import blind_index_key_checked, field_key_from_file, field_keys_checked
from tandem.lib.env import env_bool, env_int, env_list, env_rate, env_str
from tandem.lib.secret_key import secret_key_from_file

PROJECT_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env_str("TANDEM_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or secret_key_from_file(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# The audit trail records where each request came from. X-Forwarded-For can be written by anyone,
# so it is believed only as far as this many proxies of our own, each of which appends to it.
TANDEM_TRUSTED_PROXY_COUNT = env_int("TANDEM_TRUSTED_PROXY_COUNT", 0, minimum=0)
# Survivors' addresses, numbers and notes are encrypted at rest (tandem.lib.encryption): the first
# key encrypts, all decrypt, so a retired key stays listed until `tandem rotate-field-keys` has run.
# A malformed key stops start-up. The blind index key stays put when the field keys rotate.
TANDEM_FIELD_KEYS = field_keys_checked(
    env_list("TANDEM_FIELD_KEYS", []), name="TANDEM_FIELD_KEYS"
) or [field_key_from_file(VAR_DIR / "field_key")]
TANDEM_BLIND_INDEX_KEY = blind_index_key_checked(
    env_str("TANDEM_BLIND_INDEX_KEY", "") or secret_key_from_file(VAR_DIR / "blind_index_key"),
    name="TANDEM_BLIND_INDEX_KEY",
)

# Request limits (issue 12): a body over its limit, or JSON nested deeper than its limit, is
# refused with 400 (tandem.middleware.RequestSizeLimitMiddleware, tandem.api's JSON parser)
# instead of being read into memory or parsed into a RecursionError. An upload may carry the
# largest evidence file and its form's fields; Django's own limit on form fields agrees.
TANDEM_REQUEST_MAX_BYTES = env_int("TANDEM_REQUEST_MAX_BYTES", 1024 * 1024, minimum=1024)
TANDEM_UPLOAD_REQUEST_MAX_BYTES = env_int(
    "TANDEM_UPLOAD_REQUEST_MAX_BYTES", EVIDENCE_MAX_BYTES + 1024 * 1024, minimum=1024
)
TANDEM_JSON_MAX_DEPTH = env_int("TANDEM_JSON_MAX_DEPTH", 20, minimum=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = TANDEM_REQUEST_MAX_BYTES
# Break-glass (tandem.governance.services.break_glass): a service manager's access to one record
# outside their normal access lasts this long; the safeguarding lead is told by email (Django's
# EMAIL_* settings; the default sends through localhost).
TANDEM_BREAK_GLASS_MINUTES = env_int("TANDEM_BREAK_GLASS_MINUTES", 60, minimum=1)
# Data protection (tandem.dataprotection): backups are sealed with the first key and opened with
# any, so a retired key stays listed while its backups are kept. Never generated into var/: a key
# beside the backups it opens protects nothing.
TANDEM_BACKUP_KEYS = field_keys_checked(env_list("TANDEM_BACKUP_KEY", []), name="TANDEM_BACKUP_KEY")
# Years after closure before a record is anonymised by `tandem retention run` (README:
# "Retention"; the standards set no period, the defaults follow the Limitation Act's six years).
TANDEM_RETENTION_YEARS = {
    "perpetrator-cases": env_int("TANDEM_RETAIN_PERPETRATOR_CASES_YEARS", 6, minimum=1),
    "iss-cases": env_int("TANDEM_RETAIN_ISS_CASES_YEARS", 6, minimum=1),
    "complaints": env_int("TANDEM_RETAIN_COMPLAINTS_YEARS", 6, minimum=1),
}

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
# SQLite, the embedded default, with several people writing at once (issue 12): a transaction
# takes the write lock when it begins (IMMEDIATE), so it waits its turn for up to
# TANDEM_SQLITE_BUSY_TIMEOUT seconds instead of failing with "database is locked" at its first
# write; WAL lets everyone read while one writes, and syncs at checkpoints, not every commit.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("TANDEM_SQLITE_BUSY_TIMEOUT", 20, minimum=1),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "tandem",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "tandem.audit",
    "tandem.idempotency",
    "tandem.organisations",
    "tandem.standards",
    "tandem.cases",
    "tandem.support",
    "tandem.compliance",
    "tandem.assurance",
    "tandem.demo",
    "tandem.workforce",
    "tandem.delivery",
    "tandem.governance",
    "tandem.work",
    "tandem.accounts",
    # Two-factor authentication (tandem.accounts): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "tandem.dataprotection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Headers (issue 12): Content-Security-Policy, Permissions-Policy and no-store; see below.
    "csp.middleware.CSPMiddleware",
    "tandem.middleware.PrivateResponseHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session ends when idle for TANDEM_SESSION_IDLE_MINUTES or TANDEM_SESSION_MAX_HOURS after
    # sign-in.
    "tandem.accounts.sessions.SessionLifetimeMiddleware",
    # Which second factor, if any, this session has passed (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Refuses a body over its size limit before anything (CSRF's check included) reads it.
    "tandem.middleware.RequestSizeLimitMiddleware",
    # An API POST with an Idempotency-Key header is done once (tandem.idempotency).
    "tandem.middleware.IdempotentApiWritesMiddleware",
    # Who and from where, for the audit trail (tandem.audit).
    "tandem.audit.middleware.AuditRequestMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required, and
    # both factors unless it is marked @two_factor_not_required.
    "tandem.middleware.LoginRequiredForPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in's answer into the 429 lockout page (tandem.accounts).
    "axes.middleware.AxesMiddleware",
]

# Headers (issue 12). Content-Security-Policy without 'unsafe-inline': scripts and styles come from
# Tandem's own origin only (GOV.UK Frontend's start-up and its js-enabled class are static files;
# HTMX's indicator styles are switched off in base.html), and no page may be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
TANDEM_HTTPS = env_bool("TANDEM_HTTPS", False)
if TANDEM_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
if TANDEM_TRUSTED_PROXY_COUNT > 0:
    # Believed only from our own proxies, which set it (see TANDEM_TRUSTED_PROXY_COUNT).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTHENTICATION_BACKENDS = [
    # First: a locked-out sign-in is refused before any password is checked.
    "tandem.accounts.sign_in_lockout.SignInLockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, refusing demo accounts and the published demo password unless DEBUG.
    "tandem.accounts.backends.AccountBackend",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "src" / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

FORM_RENDERER = "tandem.web.GovukFormRenderer"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Accounts (tandem.accounts): sign-in, two-factor authentication, passwords, sessions ---
# Every account passes a second factor after its password (set up at the first sign-in): an
# authenticator app (TOTP) or a recovery code. Demo accounts skip it while DEBUG is on.
TANDEM_TWO_FACTOR_URL = "accounts:two_factor"
OTP_TOTP_ISSUER = "Tandem"
# Passwords: long enough, not on the list of 20,000 common and breached passwords Django ships,
# not like the person's name or username, not the demo's; no composition rules (NCSC guidance).
TANDEM_PASSWORD_MIN_LENGTH = env_int("TANDEM_PASSWORD_MIN_LENGTH", 12, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": TANDEM_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tandem.accounts.passwords.PublishedDemoPasswordValidator"},
]
# A password reset link works once, for this long (seconds).
PASSWORD_RESET_TIMEOUT = env_int("TANDEM_PASSWORD_RESET_TIMEOUT", 3600, minimum=300)
# Email (password reset links) through Django's email framework: SMTP when EMAIL_HOST is set,
# otherwise written to the console (development).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tandem@localhost")
# A session ends after this long without a request and this long after sign-in however busy
# (tandem.accounts.sessions); Django's own expiry lets an idle one go from the database too.
TANDEM_SESSION_IDLE_MINUTES = env_int("TANDEM_SESSION_IDLE_MINUTES", 30, minimum=2)
TANDEM_SESSION_MAX_HOURS = env_int("TANDEM_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = TANDEM_SESSION_IDLE_MINUTES * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Built by `npm run build` from the pinned npm packages (see Makefile); never committed.
STATICFILES_DIRS = [VAR_DIR / "static-build"]
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (assurance evidence). No MEDIA_URL: they are never served as static files, only
# through views that check who may read them.
MEDIA_ROOT = VAR_DIR / "uploads"
# Uploaded documents, and the directories made for them, readable by their owner only (issue 12;
# the SQLite database and the keys in var/ likewise: tandem.lib.files).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# What a page says after an action ("Referral recorded as case P000123", an address) is kept in
# the session on the server, never in a cookie the browser holds (issue 12).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
# Over HTTPS only when served over it, and whenever DEBUG is off (browsers let http://localhost
# keep a secure cookie, so a machine's own checks still sign in).
SESSION_COOKIE_SECURE = TANDEM_HTTPS or not DEBUG
CSRF_COOKIE_SECURE = TANDEM_HTTPS or not DEBUG
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens first: an anonymous API client gets 401 naming the scheme it can answer with.
        # No Basic authentication: it hashed a password on every request, even an anonymous one.
        "tandem.accounts.api_tokens_authentication.ApiTokenAuthentication",
        # A session counts only once it has passed both factors.
        "tandem.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The API reads JSON only (a route that takes a file names its own parsers), so the schema
    # offers no form encodings, in which nested lists cannot be sent; JSON nested deeper than
    # TANDEM_JSON_MAX_DEPTH gets 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": ["tandem.api.DepthLimitedJSONParser"],
    # The schema describes what the API checks (issue 12; held to it by schemathesis in
    # tests/test_api_schema_fuzz.py).
    "DEFAULT_SCHEMA_CLASS": "tandem.api_schema.ValidationDescribingSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_PAGINATION_CLASS": "tandem.api.LimitOffsetWithCeiling",
    # A service's refusal raised in an API view: 400 naming the field and rule, 409 when stale.
    "EXCEPTION_HANDLER": "tandem.api.refusal_exception_handler",
    "PAGE_SIZE": 100,
    # Request rates (tandem.accounts.api_throttling reads TANDEM_API_THROTTLE_RATES below).
    "DEFAULT_THROTTLE_CLASSES": [
        "tandem.accounts.api_throttling.AnonymousRateThrottle",
        "tandem.accounts.api_throttling.PersonRateThrottle",
    ],
}
# API tokens (django-rest-knox, tandem.accounts): only a hash of each token is kept; each expires
# and is never renewed by use, so a forgotten token dies on its own.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("TANDEM_API_TOKEN_DAYS", 30, minimum=1)),
    "AUTO_REFRESH": False,
}
TANDEM_API_TOKEN_LIMIT = env_int("TANDEM_API_TOKEN_LIMIT", 10, minimum=1)
TANDEM_API_THROTTLE_RATES = {
    "anon": env_rate("TANDEM_API_ANON_RATE", "60/minute"),
    "user": env_rate("TANDEM_API_USER_RATE", "1200/minute"),
}
# Sign-in throttling and lockout (django-axes; the callables, and why, in
# tandem.accounts.sign_in_lockout): per account and per address, counting failed sign-ins and
# refused API tokens, with waits that double with each lockout of the day.
AXES_FAILURE_LIMIT = env_int("TANDEM_SIGN_IN_FAILURE_LIMIT", 10, minimum=1)
TANDEM_SIGN_IN_WAIT_MINUTES = env_int("TANDEM_SIGN_IN_WAIT_MINUTES", 10, minimum=1)
TANDEM_SIGN_IN_WAIT_MAX_MINUTES = env_int(
    "TANDEM_SIGN_IN_WAIT_MAX_MINUTES", 240, minimum=TANDEM_SIGN_IN_WAIT_MINUTES
)
AXES_LOCKOUT_PARAMETERS = "tandem.accounts.sign_in_lockout.lockout_parameters"
AXES_COOLOFF_TIME = "tandem.accounts.sign_in_lockout.wait"
AXES_CLIENT_IP_CALLABLE = "tandem.accounts.sign_in_lockout.client_address"
AXES_LOCKOUT_CALLABLE = "tandem.accounts.sign_in_lockout.lockout_response"
# Each count expires on its own wait: a short wait elsewhere must not wipe a longer one's count.
AXES_USE_ATTEMPT_EXPIRATION = True
# The failure log is what the growing waits are counted from.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Sign-ins are in the audit trail; axes need not keep a second list of them.
AXES_DISABLE_ACCESS_LOG = True
# A successful sign-in does not wipe its address's count: an attacker with an account of their
# own could otherwise reset it between guesses at others'.
AXES_RESET_ON_SUCCESS = False
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": (
        "Read and record the work of domestic abuse perpetrator intervention services against "
        "the published standards. Every route needs a signed-in user: an API token "
        "(`Authorization: Token <token>`, made on the API tokens page) or a signed-in session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Two choice lists share the field name "method": name their schema enums apart.
    "ENUM_NAME_OVERRIDES": {
        "ContactMethodEnum": "tandem.support.models.ContactMethod",
        "SessionMethodEnum": "tandem.support.models.SessionMethod",
        # A staff member's side of the barrier, apart from a due task's side.
        "StaffSideEnum": "tandem.organisations.models.Side",
        "InterventionTypeEnum": "tandem.standards.models.InterventionType",
        # Assurance: choice sets that share field names ("method", "outcome", "kind") elsewhere.
        "AssessmentMethodEnum": "tandem.standards.models.AssessmentMethod",
        "JudgementEnum": "tandem.assurance.models.Judgement",
        "VerificationOutcomeEnum": "tandem.assurance.models.VerificationOutcome",
        "DecisionOutcomeEnum": "tandem.assurance.models.DecisionOutcome",
        "DocumentKindEnum": "tandem.lib.documents.DocumentKind",
        # …which leaves these two alone with a shared name, so they are named too.
        "AttemptOutcomeEnum": "tandem.support.models.AttemptOutcome",
        "SignpostingKindEnum": "tandem.support.models.SignpostingKind",
        # Delivery, workforce and the standards library share "status", "kind" and "level".
        "AttendanceStatusEnum": "tandem.delivery.models.AttendanceStatus",
        "SupervisionKindEnum": "tandem.workforce.models.SupervisionKind",
        "RequirementLevelEnum": "tandem.standards.models.Level",
    },
}

# The schema says which POSTs honour an Idempotency-Key header (issue 12).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "tandem.api.document_idempotency_key",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes narrates every sign-in at INFO; its warnings (failures, lockouts) are enough.
    "loggers": {"axes": {"level": "WARNING"}},
}
