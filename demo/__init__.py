"""The demo clinic (see apps.DemoConfig)."""
