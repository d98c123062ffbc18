import os
import tempfile

# Keep the generated secret key and any files of a test run out of the working tree.
os.environ.setdefault("BIHUAN_DATA_DIR", tempfile.mkdtemp(prefix="bihuan-test-"))
