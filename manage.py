#!/usr/bin/env python
"""Django's command-line utility; `tierslieux` is the installed equivalent."""

from tierslieux.__main__ import main

if __name__ == "__main__":
    main()
