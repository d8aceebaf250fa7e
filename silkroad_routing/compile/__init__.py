"""The one bridge from the model to arrays: Network -> CSR graph and timetable connections."""
