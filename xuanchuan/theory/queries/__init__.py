"""The theory app's queries, one module per part (study, lectures, classroom, viewers)."""
