"""TieMeasureFlow: shop-floor measurements, inspection plans, SPC and reports."""

__version__ = "0.1.0"
SERVICE_NAME = "TieMeasureFlow API"
