# French as Québec writes the time: « 7 h 30 », « 13 h 40 ». Django's own fr_CA formats leave the
# « h » unescaped ("H\xa0h\xa0i"), which prints the hour twice (« 11 11 30 »); the dates stay Django's.
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"
