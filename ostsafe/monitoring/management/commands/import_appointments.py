from ostsafe.core.imports import ImportCommand
from ostsafe.monitoring.imports import DEFAULT_BATCH_SIZE, FIELDS, OPTIONAL_FIELDS, import_appointments


class Command(ImportCommand):
    help = "Import appointments and their outcomes from a CSV file (docs/appointments-import.md). Safe to run again."
    fields = FIELDS
    optional_fields = OPTIONAL_FIELDS
    default_batch_size = DEFAULT_BATCH_SIZE
    importer = staticmethod(import_appointments)
