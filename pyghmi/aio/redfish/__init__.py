"""The asyncio Redfish client."""
