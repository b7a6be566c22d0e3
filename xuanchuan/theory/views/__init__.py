"""The theory app's views, one module per part (study, lectures, classroom, viewers)."""
