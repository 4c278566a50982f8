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
"""

from pathlib import Path

import dj_database_url

from tandem.lib.encryption import blind_index_key_checked, field_key_from_file, field_keys_checked
from tandem.lib.env import env_bool, env_int, env_list, env_str
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
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
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "tandem.audit",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who and from where, for the audit trail (tandem.audit) and its second net (django-auditlog,
    # whose own middleware believes X-Forwarded-For from anyone: ours applies the proxy setting).
    "tandem.audit.middleware.AuditRequestMiddleware",
    "tandem.audit.middleware.AuditlogMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "tandem.middleware.LoginRequiredForPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Basic first: an anonymous API client gets 401 with a challenge it can answer.
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_PAGINATION_CLASS": "tandem.api.LimitOffsetWithCeiling",
    # A service's refusal raised in an API view: 400 naming the field and rule, 409 when stale.
    "EXCEPTION_HANDLER": "tandem.api.refusal_exception_handler",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    "DESCRIPTION": (
        "Read and record the work of domestic abuse perpetrator intervention services against "
        "the published standards. Every route needs a signed-in user."
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The API's schema describes what the API checks (issue 12; held to it by schemathesis in
# tests/test_api_schema_fuzz.py). The API reads JSON only (a route that takes a file names its
# own parsers), so the schema offers no form encodings, in which nested lists cannot be sent.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["rest_framework.parsers.JSONParser"]
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "tandem.api_schema.ValidationDescribingSchema"
