"""The theory app's forms, one module per part (study, lectures, classroom, viewers)."""
