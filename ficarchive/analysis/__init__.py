"""Story understanding: characters, speakers, point of view, pairings, fandom. Pure Python, no Django."""
