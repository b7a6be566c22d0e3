"""The theory app's services, one module per part (study, lectures, classroom, viewers)."""
