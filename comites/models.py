"""Committee bodies, sessions, agendas built from the files, members' opinions, decisions applied
to the files and the minutes. Built by the committee issue."""
