"""Claims, as the Archive of Our Own's Open Doors does them: imported creators are invited by
mail to claim their works (link them to an account) or to ask for their removal (hide them)."""
