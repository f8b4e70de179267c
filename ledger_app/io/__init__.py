"""Files in and out: Excel workbooks, plan text, PDF forms, the JSON dump. No Qt, no database session."""
