"""Local stand-ins for third-party platform APIs, speaking their documented wire formats on 127.0.0.1."""
