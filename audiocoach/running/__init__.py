"""The running maths: Daniels' VDOT, race predictions, training paces and the paces table.

Pure Python (``math`` only), so importing it costs nothing; ``audiocoach.running.vdot`` holds
the numbers, ``audiocoach.running.table`` the text ``audiocoach paces`` prints.
"""
