"""Timetable kernels: connection scans, label searches and profiles on TimetableArrays."""
