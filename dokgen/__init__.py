"""dokgen: reports, agreements and EHF invoices for NAV's tiltaksarrangører."""

import warnings

# cryptography 51 deprecates DSA, which pyHanko 0.38 imports at load; we never sign with DSA,
# and the warning would open every start of the service and of each job process.
warnings.filterwarnings("ignore", message="DSA is deprecated", category=UserWarning)

__version__ = "0.1.0"
