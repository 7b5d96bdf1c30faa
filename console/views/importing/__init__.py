"""The import wizard (File › Import calls…): one module per page, the wizard in wizard.py."""
