"""ccgtui: explore the CCG clinical-leadership case studies from the terminal."""

__version__ = "0.1.0"
