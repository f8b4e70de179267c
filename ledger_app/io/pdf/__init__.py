"""PDF forms and letters with an embedded CJK font: the sign-off form (signoff), notices and letters
(notice, letter), the evaluation report (report), over one layout engine (doc, table, text, styles, fonts)."""
