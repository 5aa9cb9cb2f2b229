from idolq.cli.app import main

main()
