"""The project's date formats, over Django's (`FORMAT_MODULE_PATH`): French writes "1er mars
2027 à 14:30", and every language reads a 24-hour clock (a place's hours are written so, and
"p.m." would clash with the full stop ending a sentence)."""
