"""The GUI of 佐证材料 (evidence files): thumbnails, drag and drop, the evidence menu actions, the store check."""
