"""Support episodes (levels 1-3 and exit relay), rythme, objectives, contacts, key moments,
TISF interventions and documents. Built by the support issue on top of menages.Menage."""
