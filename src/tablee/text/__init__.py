"""Text processing with no Django in it: folding, tokenising, lexical relevance.

It sits at the ground beside the engine: any room may use it, it imports no room.
"""
