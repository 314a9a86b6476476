"""The landlords' pooled stock, mobilisation for the programme, matching, attribution and the
CESF's tenant file (complaints, arrears, eviction prevention). Built by the housing issue."""
