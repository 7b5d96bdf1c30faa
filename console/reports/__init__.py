"""Documents and charts: matplotlib (Agg), reportlab PDFs, openpyxl workbooks. No Qt."""
