"""dokgen: reports, agreements and EHF invoices for NAV's tiltaksarrangører."""

__version__ = "0.1.0"
