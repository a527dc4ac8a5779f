"""Small reusable widgets for the explorer."""
