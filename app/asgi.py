"""The ASGI application that uvicorn serves, built from the environment's settings."""

import gc

from app.main import create_served_app

app = create_served_app()

# What is alive now (the libraries, the application, about 175,000 objects) lives as long as the
# process: out of the collector's sight, a full collection no longer pauses every request in
# flight for 150-200 ms to walk it again (measured at L; it was most of the p99 of every read).
gc.collect()
gc.freeze()
