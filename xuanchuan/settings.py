"""Settings of the platform, read from the environment (see ``.env.example``).

One module for every deployment: the demo, the tests and production differ only in their
environment. Bad values raise ``ImproperlyConfigured`` here; values that are well-formed but
unsafe are reported by the system checks in ``xuanchuan.core.checks``.
"""

from __future__ import annotations

import base64
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from dotenv import load_dotenv

from xuanchuan.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
# A .env file beside manage.py (written by `make demo`) fills in what the real environment lacks.
# Never under pytest: the tests must see the production defaults, not the demo's relaxations.
if "pytest" not in sys.modules:
    load_dotenv(BASE_DIR / ".env", override=False)

# --- Mode -------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
# The demo runs on http://127.0.0.1:8000 with generated keys; it relaxes only what plain HTTP needs.
XUANCHUAN_DEMO = env_bool("XUANCHUAN_DEMO", False)

INSECURE_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "") or INSECURE_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- The district this installation serves -------------------------------------------------------
XUANCHUAN_DISTRICT_NAME = env_str("XUANCHUAN_DISTRICT_NAME", "示范区")
XUANCHUAN_CITY_NAME = env_str("XUANCHUAN_CITY_NAME", "示范市")
XUANCHUAN_SITE_TITLE = env_str("XUANCHUAN_SITE_TITLE", "宣传思想工作平台")

# --- Applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "simpleui",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "treebeard",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "csp",
    "xuanchuan.core",
    "xuanchuan.org",
    "xuanchuan.accounts",
    "xuanchuan.reports",
    "xuanchuan.arrivals",
    "xuanchuan.passes",
    "xuanchuan.outbreak",
    "xuanchuan.media",
    "xuanchuan.publishing",
    "xuanchuan.civility",
    "xuanchuan.volunteers",
    "xuanchuan.theory",
    "xuanchuan.culture",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so that every response carries them, redirects and lockout pages included.
    "xuanchuan.core.middleware.FrameOptionsMiddleware",
    "xuanchuan.core.middleware.PlatformCSPMiddleware",
    # A NUL in the query string is a 400 for every page (PostgreSQL cannot compare text holding it).
    "xuanchuan.core.middleware.NulQueryMiddleware",
    # The public news site's page cache answers here, behind the security and CSP headers: a hit
    # skips sessions, CSRF, authentication and the view (publishing/site/cache.py).
    "xuanchuan.publishing.site.cache.NewsCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout below: the session's expiry pushed back at most once a minute.
    "xuanchuan.accounts.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "xuanchuan.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns lockouts raised in the views into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xuanchuan.urls"
WSGI_APPLICATION = "xuanchuan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xuanchuan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuanchuan.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'var' / 'xuanchuan.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", "") or DEFAULT_SQLITE_URL
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address this platform knows: {exc}") from exc
if _database["ENGINE"] not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must be an sqlite:/// or postgres:// address")
if _database["ENGINE"] == "django.db.backends.sqlite3":
    Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN
        # so two writers queue on the busy timeout instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
    }
else:
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, background jobs --------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for the dashboards' cached values (a district's dashboards keep ~900; Django's default is 300).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis there is no broker and no worker: jobs run in the process that asks for them.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "purge-expired-personal-data": {
        "task": "xuanchuan.core.tasks.purge_expired_personal_data",
        "schedule": timedelta(hours=24),
    },
    "outbreak-deadline-reminders": {
        "task": "xuanchuan.outbreak.tasks.send_deadline_reminders",
        "schedule": timedelta(minutes=5),
    },
    # The district dashboards' values computed ahead after midnight (reports/warming.py).
    "reports-warm-dashboards": {
        "task": "xuanchuan.reports.tasks.warm_dashboards",
        "schedule": crontab(hour=0, minute=20),
    },
    # Publications whose planned time has come go out; overdue review steps are reminded (at most
    # once per the step's own period); WeChat publish jobs are followed up and failed posts retried.
    "publishing-publish-due": {
        "task": "xuanchuan.publishing.tasks.publish_due_publications",
        "schedule": timedelta(minutes=1),
    },
    "publishing-review-reminders": {
        "task": "xuanchuan.publishing.tasks.remind_overdue_reviews",
        "schedule": timedelta(minutes=15),
    },
    "publishing-external-sweep": {
        "task": "xuanchuan.publishing.tasks.sweep_external_posts",
        "schedule": timedelta(minutes=1),
    },
    # Overdue 交办单 are escalated (督办) once, with a notice to the responsible unit's leader.
    "civility-escalate-overdue-tickets": {
        "task": "xuanchuan.civility.tasks.escalate_overdue_tickets",
        "schedule": timedelta(hours=1),
    },
    # Volunteers: the day-before reminder to everyone confirmed for an activity; attendance of ended
    # activities nobody closed is closed (open check-ins become void); reserved redemptions nobody
    # collected give their points back; earned points past their time expire once a day.
    "volunteers-remind-tomorrow": {
        "task": "xuanchuan.volunteers.tasks_activities.remind_tomorrow",
        "schedule": crontab(hour=18, minute=0),
    },
    "volunteers-close-finished-activities": {
        "task": "xuanchuan.volunteers.tasks_attendance.close_finished_activities",
        "schedule": timedelta(minutes=15),
    },
    "volunteers-expire-redemptions": {
        "task": "xuanchuan.volunteers.tasks_points.expire_redemptions",
        "schedule": timedelta(minutes=15),
    },
    "volunteers-expire-points": {
        "task": "xuanchuan.volunteers.tasks_points.expire_points_daily",
        "schedule": crontab(hour=0, minute=40),
    },
    # Theory: uploads of the cloud classroom left unfinished past THEORY_UPLOAD_EXPIRY_HOURS are
    # deleted with their partial files.
    "theory-purge-unfinished-uploads": {
        "task": "xuanchuan.theory.tasks_classroom.purge_unfinished_uploads",
        "schedule": timedelta(hours=1),
    },
    # Culture: the images of rejected works are deleted CULTURE_AUTHOR_RETENTION_DAYS after their
    # call closed (the authors' names and phones go by the personal-data retention rules).
    "culture-purge-rejected-work-images": {
        "task": "xuanchuan.culture.tasks.purge_rejected_work_images",
        "schedule": timedelta(hours=24),
    },
}

# --- Accounts and security -------------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "xuanchuan.org.backends.RoleModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's rule; the subclass only puts its error message into Chinese.
        "NAME": "xuanchuan.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xuanchuan.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
# Lock an account at one address only, so that nobody can lock someone else out by failing on
# purpose; a guessing attack spread over many addresses meets the slower per-account limit below
# (xuanchuan.accounts.lockout.AccountLockoutHandler): that many failures in the same period.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "xuanchuan.accounts.lockout.AccountLockoutHandler"
ACCOUNTS_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 20, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders AXES_LOCKOUT_TEMPLATE with the minute the lock lifts, read back from axes' records.
AXES_LOCKOUT_CALLABLE = "xuanchuan.accounts.lockout.lockout_response"
# Tries during a lockout (even with the right password) must not push back the unlock time shown.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The name authenticator apps list the account under.
OTP_TOTP_ISSUER = f"{XUANCHUAN_DISTRICT_NAME}{XUANCHUAN_SITE_TITLE}"

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=5) * 60
# The age above is an idle timeout, kept by SessionIdleRefreshMiddleware (a write a minute at most,
# not Django's SESSION_SAVE_EVERY_REQUEST, which writes the session on every request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

_secure_default = not (XUANCHUAN_DEMO or DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _secure_default)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if not _secure_default else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- API (django-ninja) -----------------------------------------------------------------------------
# Pages of every list of the API: limit and offset with upper bounds stated in the OpenAPI document,
# so an out-of-range value is answered 422 like any invalid input (not a database error).
NINJA_PAGINATION_CLASS = "xuanchuan.api_pagination.BoundedLimitOffsetPagination"

# --- Personal-data protection ------------------------------------------------------------------------
# Base64 of 32 random bytes; several keys separated by commas rotate (the first encrypts, all decrypt).
XUANCHUAN_DATA_KEY = env_str("XUANCHUAN_DATA_KEY", "")
XUANCHUAN_CRYPTO = env_choice("XUANCHUAN_CRYPTO", ("aes-gcm", "sm4-gcm"), "aes-gcm")
INSECURE_DATA_KEY = base64.b64encode(b"insecure-development-data-key!!!").decode()
if not XUANCHUAN_DATA_KEY:
    XUANCHUAN_DATA_KEY = INSECURE_DATA_KEY
XUANCHUAN_PII_ACCESS_LOG_DAYS = env_int("PII_ACCESS_LOG_DAYS", 3 * 365, minimum=180)
XUANCHUAN_STAFF_PII_RETENTION_DAYS = env_int("STAFF_PII_RETENTION_DAYS", 365, minimum=1)
# Days an arrival registration keeps its personal data after its follow-up ends.
ARRIVALS_RETENTION_DAYS = env_int("ARRIVALS_RETENTION_DAYS", 60, minimum=1)
# Where a registrant's receipt code is sent again by SMS: a dotted path to a core.sms.SmsGateway
# (default: log only); a repeated submission is answered at most N times an hour per client.
ARRIVALS_SMS_BACKEND = env_str("ARRIVALS_SMS_BACKEND", "xuanchuan.core.sms.LoggingSmsGateway")
ARRIVALS_DUPLICATES_PER_HOUR = env_int("ARRIVALS_DUPLICATES_PER_HOUR", 5, minimum=1)
# Where daily-report reminders go by SMS: a dotted path to an SmsSender (default: log only).
OUTBREAK_SMS_BACKEND = env_str("OUTBREAK_SMS_BACKEND", "xuanchuan.core.sms.LoggingSmsGateway")
# Resident e-passes: validity, one outing per household every N days (0 = no limit), how long a
# retired signing key still verifies (at least the validity + 1 day), how long holders' personal
# data is kept after expiry, and how far back a checkpoint device's event may be dated (its
# offline queue; later than now is never accepted beyond a clock skew of 5 minutes).
PASSES_VALID_DAYS = env_int("PASSES_VALID_DAYS", 14, minimum=1)
PASSES_OUTING_INTERVAL_DAYS = env_int("PASSES_OUTING_INTERVAL_DAYS", 2, minimum=0)
PASSES_KEY_OVERLAP_DAYS = env_int("PASSES_KEY_OVERLAP_DAYS", 15, minimum=1)
PASSES_RETENTION_DAYS = env_int("PASSES_RETENTION_DAYS", 180, minimum=1)
PASSES_EVENT_BACKDATE_MINUTES = env_int("PASSES_EVENT_BACKDATE_MINUTES", 24 * 60, minimum=5)
# Online checks are logged in batches, each row at most this late (0: every row written at once).
PASSES_VERIFICATION_LOG_DELAY_MS = env_int("PASSES_VERIFICATION_LOG_DELAY_MS", 1000, minimum=0)
# Where a pass's own page link is sent by SMS: a dotted path to a core.sms.SmsGateway (default: log only).
PASSES_SMS_BACKEND = env_str("PASSES_SMS_BACKEND", "xuanchuan.core.sms.LoggingSmsGateway")

# 信息发布 publishing: WeChat's API base (tests point it at a fake server on loopback), the HTTP
# timeout in seconds, the automatic attempts on a passing error, and how many times a publish job's
# result is asked for before the post counts as failed (the pushed result usually comes first).
PUBLISHING_WECHAT_API_BASE = env_str("PUBLISHING_WECHAT_API_BASE", "https://api.weixin.qq.com")
PUBLISHING_WECHAT_TIMEOUT = env_int("PUBLISHING_WECHAT_TIMEOUT", 10, minimum=1, maximum=120)
PUBLISHING_EXTERNAL_MAX_ATTEMPTS = env_int("PUBLISHING_EXTERNAL_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
PUBLISHING_WECHAT_MAX_POLLS = env_int("PUBLISHING_WECHAT_MAX_POLLS", 12, minimum=1, maximum=100)
# The news site: how long a page stays cached (cleared at once when an item it shows is published,
# changed or taken down), how long search results do (not cleared), and one visitor's searches.
PUBLISHING_SITE_CACHE_SECONDS = env_int("PUBLISHING_SITE_CACHE_SECONDS", 600, minimum=1, maximum=86400)
PUBLISHING_SITE_SEARCH_CACHE_SECONDS = env_int("PUBLISHING_SITE_SEARCH_CACHE_SECONDS", 60, minimum=1, maximum=3600)
PUBLISHING_SITE_SEARCH_RATE = env_str("PUBLISHING_SITE_SEARCH_RATE", "30/m")
# Where overdue-review reminders also go by SMS (reviewers with a mobile number): a dotted path to a
# core.sms.SmsGateway; empty sends none (the platform's own notices are always written).
PUBLISHING_REVIEW_SMS_BACKEND = env_str("PUBLISHING_REVIEW_SMS_BACKEND", "")

# 文明创建 civility, Open311 GeoReport v2 (civility/open311/): the jurisdiction_id clients may
# send (absent is accepted too), the contact named by discovery.json (where a client asks for a key),
# and the limit of report submissions per client address.
CIVILITY_OPEN311_JURISDICTION = env_str("CIVILITY_OPEN311_JURISDICTION", "district.example.cn")
CIVILITY_OPEN311_CONTACT = env_str("CIVILITY_OPEN311_CONTACT", "区委宣传部文明办")
CIVILITY_OPEN311_POST_RATE = env_str("CIVILITY_OPEN311_POST_RATE", "60/m")

# Civilised-city casework, problems found (civility/services/photos.py, problems.py): photos per
# problem, the size of each upload, the longest side of the stored copy, and how long a citizen's
# name and contact (Open311 reports) are kept after the report.
CIVILITY_PHOTO_MAX_COUNT = env_int("CIVILITY_PHOTO_MAX_COUNT", 6, minimum=1, maximum=20)
CIVILITY_PHOTO_MAX_MB = env_int("CIVILITY_PHOTO_MAX_MB", 10, minimum=1, maximum=50)
CIVILITY_PHOTO_MAX_SIDE = env_int("CIVILITY_PHOTO_MAX_SIDE", 1600, minimum=320, maximum=6000)
CIVILITY_REPORTER_RETENTION_DAYS = env_int("CIVILITY_REPORTER_RETENTION_DAYS", 365, minimum=1)

# 新时代文明实践 volunteers (volunteers/): how long a volunteer stays signed in on a phone, the code
# sent by SMS to sign in (its lifetime, the tries allowed, where it goes: a dotted path to a
# core.sms.SmsGateway, default log only), and how many registrations/sign-ins one address may send.
VOLUNTEERS_SIGNIN_DAYS = env_int("VOLUNTEERS_SIGNIN_DAYS", 30, minimum=1, maximum=365)
VOLUNTEERS_SIGNIN_CODE_MINUTES = env_int("VOLUNTEERS_SIGNIN_CODE_MINUTES", 10, minimum=1, maximum=60)
VOLUNTEERS_SIGNIN_CODE_TRIES = env_int("VOLUNTEERS_SIGNIN_CODE_TRIES", 5, minimum=1, maximum=20)
VOLUNTEERS_SMS_BACKEND = env_str("VOLUNTEERS_SMS_BACKEND", "xuanchuan.core.sms.LoggingSmsGateway")
VOLUNTEERS_PUBLIC_RATE = env_str("VOLUNTEERS_PUBLIC_RATE", "20/m")
# Check-in: the check-in code on the organiser's screen changes every N seconds and the code just
# before the current one is still accepted (scanning at the change); check-in opens N minutes
# before an activity starts and check-out stays open N minutes after it ends. Hours count only
# within the activity's time.
VOLUNTEERS_CHECKIN_CODE_SECONDS = env_int("VOLUNTEERS_CHECKIN_CODE_SECONDS", 60, minimum=15, maximum=600)
VOLUNTEERS_CHECKIN_EARLY_MINUTES = env_int("VOLUNTEERS_CHECKIN_EARLY_MINUTES", 60, minimum=0, maximum=24 * 60)
VOLUNTEERS_CHECKOUT_LATE_MINUTES = env_int("VOLUNTEERS_CHECKOUT_LATE_MINUTES", 120, minimum=0, maximum=24 * 60)
# Good-deed points (道德信贷): points per confirmed service hour (whole points, minutes rounded
# down), how many hours of one activity earn points (0: all), how many days earned points last
# (0: they never expire), and how long a reserved redemption waits for the merchant's scan.
VOLUNTEERS_POINTS_PER_HOUR = env_int("VOLUNTEERS_POINTS_PER_HOUR", 1, minimum=0, maximum=100)
VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY = env_int("VOLUNTEERS_POINTS_MAX_HOURS_PER_ACTIVITY", 0, minimum=0)
VOLUNTEERS_POINTS_EXPIRY_DAYS = env_int("VOLUNTEERS_POINTS_EXPIRY_DAYS", 730, minimum=0)
VOLUNTEERS_REDEMPTION_HOLD_HOURS = env_int("VOLUNTEERS_REDEMPTION_HOLD_HOURS", 72, minimum=1, maximum=24 * 30)
# Days a withdrawn volunteer's personal data is kept (their records stay, without it, for the figures).
VOLUNTEERS_RETENTION_DAYS = env_int("VOLUNTEERS_RETENTION_DAYS", 365, minimum=1)

# Theory study, lectures and the cloud classroom (theory/): the study session's attendance code
# changes every N seconds (the one before is still taken); the classroom counts watch time in
# stretches of N seconds (each counted once per viewer, however often replayed); uploads of video
# and audio are sent in chunks of N MB up to a size limit, and unfinished uploads are deleted after
# N hours. THEORY_FFMPEG is the ffmpeg that takes a poster from a video (empty: no posters).
# THEORY_MEDIA_ACCEL_PREFIX: empty, the platform sends the media itself (ranges answered); in
# production behind nginx, the internal location (e.g. /_protected_media/) to which the platform
# hands the bytes with X-Accel-Redirect after checking access (docs/deploy/nginx.conf).
THEORY_CHECKIN_CODE_SECONDS = env_int("THEORY_CHECKIN_CODE_SECONDS", 60, minimum=15, maximum=600)
THEORY_WATCH_BUCKET_SECONDS = env_int("THEORY_WATCH_BUCKET_SECONDS", 5, minimum=1, maximum=60)
THEORY_UPLOAD_MAX_MB = env_int("THEORY_UPLOAD_MAX_MB", 1024, minimum=1, maximum=20 * 1024)
THEORY_UPLOAD_CHUNK_MB = env_int("THEORY_UPLOAD_CHUNK_MB", 4, minimum=1, maximum=64)
THEORY_UPLOAD_EXPIRY_HOURS = env_int("THEORY_UPLOAD_EXPIRY_HOURS", 24, minimum=1, maximum=24 * 14)
THEORY_FFMPEG = env_str("THEORY_FFMPEG", "ffmpeg")
THEORY_MEDIA_ACCEL_PREFIX = env_str("THEORY_MEDIA_ACCEL_PREFIX", "")
THEORY_PUBLIC_RATE = env_str("THEORY_PUBLIC_RATE", "20/m")
# The SMS that tells a lecture requester which team will come (a core.sms.SmsGateway; default log only).
THEORY_SMS_BACKEND = env_str("THEORY_SMS_BACKEND", "xuanchuan.core.sms.LoggingSmsGateway")
# Days a lecture requester's name and phone are kept after the request is settled.
THEORY_REQUESTER_RETENTION_DAYS = env_int("THEORY_REQUESTER_RETENTION_DAYS", 365, minimum=1)

# Culture and tourism (culture/): days personal data is kept — arts association members' phones
# after they left, contestants' phones after their competition's last round, authors' names and
# phones (and rejected works' images) after the call for works closed; public submissions and
# status look-ups per client address.
CULTURE_MEMBER_RETENTION_DAYS = env_int("CULTURE_MEMBER_RETENTION_DAYS", 365, minimum=1)
CULTURE_CONTESTANT_RETENTION_DAYS = env_int("CULTURE_CONTESTANT_RETENTION_DAYS", 365, minimum=1)
CULTURE_AUTHOR_RETENTION_DAYS = env_int("CULTURE_AUTHOR_RETENTION_DAYS", 180, minimum=1)
CULTURE_WORKS_PUBLIC_RATE = env_str("CULTURE_WORKS_PUBLIC_RATE", "20/m")
CULTURE_WORKS_LOOKUP_RATE = env_str("CULTURE_WORKS_LOOKUP_RATE", "30/m")

# --- Language, time, files ---------------------------------------------------------------------------
# Every page is in Chinese. Strings are marked for translation, so English becomes a matter of a
# locale/en catalogue and django.middleware.locale.LocaleMiddleware; until that catalogue exists
# the middleware stays out, or a browser asking for English would get half-English pages.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "xuanchuan" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
# Excel exports stream rows through a temporary file; a table longer than this is refused with a
# message asking for a narrower filter (Excel itself stops at 1,048,576 rows).
EXPORT_MAX_ROWS = env_int("EXPORT_MAX_ROWS", 200_000, minimum=1)

# --- Admin theme (django-simpleui), kept offline ----------------------------------------------------
SIMPLEUI_STATIC_OFFLINE = True
SIMPLEUI_ANALYSIS = False
SIMPLEUI_HOME_INFO = False
SIMPLEUI_HOME_QUICK = False
SIMPLEUI_HOME_ACTION = True
SIMPLEUI_LOGO = "/static/core/img/logo.svg"
SIMPLEUI_DEFAULT_THEME = "simpleui.css"


def _admin_entry(name: str, icon: str, model: str) -> dict[str, object]:
    """A menu entry for the admin's list of ``app_label.ModelName``: the URL reversed from the
    registered admin (lazily, once the URLconf exists), shown only to whoever may view the model."""
    app_label, model_name = model.lower().split(".")
    url = reverse_lazy(f"admin:{app_label}_{model_name}_changelist")
    return {"name": name, "icon": icon, "url": url, "permission": f"{app_label}.view_{model_name}"}


# The admin's menu, in Chinese (some third-party apps name their models only in English).
SIMPLEUI_CONFIG = {
    "system_keep": False,
    "dynamic": False,
    "menus": [
        {
            "name": "组织机构",
            "icon": "fas fa-sitemap",
            "models": [
                _admin_entry("单位", "fas fa-building", "org.Unit"),
                _admin_entry("人员", "fas fa-user", "org.User"),
                _admin_entry("角色", "fas fa-user-shield", "org.Role"),
            ],
        },
        {
            "name": "安全与审计",
            "icon": "fas fa-shield-alt",
            "models": [
                _admin_entry("操作审计日志", "fas fa-history", "auditlog.LogEntry"),
                _admin_entry("个人信息查看记录", "fas fa-eye", "core.PersonalDataAccess"),
                _admin_entry("个人信息清除记录", "fas fa-eraser", "core.RetentionPurge"),
                _admin_entry("登录锁定", "fas fa-lock", "axes.AccessAttempt"),
                _admin_entry("登录失败日志", "fas fa-exclamation-triangle", "axes.AccessFailureLog"),
                _admin_entry("动态口令设备", "fas fa-mobile-alt", "otp_totp.TOTPDevice"),
            ],
        },
        {
            "name": "疫情防控",
            "icon": "fas fa-clipboard-list",
            "models": [
                _admin_entry("疫情日报定义", "fas fa-table", "outbreak.ReportForm"),
                _admin_entry("短信记录", "fas fa-sms", "outbreak.SmsMessage"),
                _admin_entry("来返登记导出记录", "fas fa-file-export", "arrivals.ExportLog"),
            ],
        },
        {"name": "返回工作台", "icon": "fas fa-home", "url": reverse_lazy("core:home")},
    ],
}

SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
