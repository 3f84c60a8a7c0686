# English dates as every Tablée page and email writes them: “November 12, 2026”, “November 12”,
# “7:30 AM” (a weekday in front where the templates ask for it: “Thursday, November 12, 2026”).
DATE_FORMAT = "F j, Y"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
