"""`python -m digitcam`: the same as the `digitcam` command."""

from digitcam.cli import main

if __name__ == "__main__":
    main()
