"""ehf: PEPPOL BIS Billing 3.0 (EHF 3) invoices — billing rules, UBL, validation, transport."""
