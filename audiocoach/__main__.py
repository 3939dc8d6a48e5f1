from audiocoach.cli import main

main()
