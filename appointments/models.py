# Consultation and accessibility requests arrive with the consultation issue.
