# Django format strings: "à" is no format character, so it prints as is.
DATETIME_FORMAT = "j F Y à H:i"
