from ostsafe.core.imports import ImportCommand
from ostsafe.pharmacy.imports import DEFAULT_BATCH_SIZE, FIELDS, OPTIONAL_FIELDS, import_rows


class Command(ImportCommand):
    help = "Import dispensing records from a CSV file (docs/dispensing-import.md). Safe to run again on the same file."
    fields = FIELDS
    optional_fields = OPTIONAL_FIELDS
    default_batch_size = DEFAULT_BATCH_SIZE
    importer = staticmethod(import_rows)
