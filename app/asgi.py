"""The ASGI application that uvicorn serves, built from the environment's settings."""

from app.main import create_served_app

app = create_served_app()
