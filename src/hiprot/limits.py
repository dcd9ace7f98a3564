"""Every bound and threshold hiprot applies, in one place.

The core checks against these; the command line derives its ranges and help text from
them, and the reports word them from here, so a limit is never written twice. Standard
library only (the store imports this module).
"""

from __future__ import annotations

from datetime import date

# --- time ---------------------------------------------------------------------------------
MAX_MINUTES = 180  # the longest budget a request may ask for (three hours)
ALARM_MAX_MINUTES = 24 * 60  # a calendar reminder at most a day before

# --- pain, 0 (none) to 10 (worst) ---------------------------------------------------------
PAIN_MIN = 0
PAIN_MAX = 10
GOOD_PAIN_MAX = 3  # pain 0-3: green light (two such sessions in a row step the dose up)
STOP_PAIN_MIN = 6  # pain 6-10: red light, step down
SEVERE_PAIN_MIN = 8  # pain 8-10, or sharp pain: stop the programme and get advice

# --- sessions -----------------------------------------------------------------------------
# A session stopped with less work than this is `abandoned`: kept, shown, never counted.
ABANDONED_WORK_S = 60  # under a minute of work
ABANDONED_SHARE = 0.2  # or under a fifth of the routine

# --- the hip-rotation self-test, in degrees -----------------------------------------------
DEGREES_MIN = 0.0
DEGREES_MAX = 90.0
MDC_DEGREES = 5.4  # minimal detectable change, Krause et al.
NOISE_DEGREES = 6.0  # a change or a left/right difference under this is noise

# --- weeks --------------------------------------------------------------------------------
PLAN_WEEKS_MAX = 52  # a plan runs one year at most
WINDOW_WEEKS_MAX = 520  # history and report look back ten years at most

# --- dates --------------------------------------------------------------------------------
DATE_FLOOR = date(1900, 1, 1)  # no date hiprot takes (a log, a reading, an operation) is earlier
PROFILE_YEAR_MAX = 2200  # the latest year a profile's dates may name
PLAN_START_AHEAD_DAYS = 366  # a plan starts within a year from today

# --- names --------------------------------------------------------------------------------
NAME_MAX = 64  # characters in a saved routine's name
